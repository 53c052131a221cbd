"""Chapter 5's exercise checks, registered for il.check."""
