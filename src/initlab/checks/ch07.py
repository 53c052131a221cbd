"""Chapter 7's exercise checks, registered for il.check."""
