"""A person's rights over their data: the privacy notice, export, erasure and retention."""
