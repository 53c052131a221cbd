"""Chapter 4's exercise checks, registered for il.check."""
