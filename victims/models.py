"""The anonymised casualty register: the models arrive with the register issue."""
