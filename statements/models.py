"""Statements: the models arrive with the statements issue."""
