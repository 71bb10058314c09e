"""Build-time tools the app never imports: data generators and the benchmark."""
