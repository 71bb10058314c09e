"""What the page shows, as pure functions: filters, figures, tables, tour, presentation."""
