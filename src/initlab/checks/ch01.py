"""Chapter 1's exercise checks, registered for il.check."""
