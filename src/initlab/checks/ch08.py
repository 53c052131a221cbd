"""Chapter 8's exercise checks, registered for il.check."""
