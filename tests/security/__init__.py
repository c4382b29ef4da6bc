"""Issue 17's attacks sent to the real app, each test asserting the refusal."""
