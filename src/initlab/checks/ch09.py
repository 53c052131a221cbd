"""Chapter 9's exercise checks, registered for il.check."""
