"""The contract domain: terms, events, rules and the contract aggregate."""
