"""Accounts: organisations, users, roles granted on territory subtrees."""
