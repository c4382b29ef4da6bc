"""The account-opening journey, its storage and audit, and the sign-language scheduler."""
