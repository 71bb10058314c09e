"""Reading and writing files: the places schema, exports."""
