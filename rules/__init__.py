"""iamlint's rules, one module each (installed as `iamlint.rules`)."""
