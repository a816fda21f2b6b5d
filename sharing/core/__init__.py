"""The platform's plumbing, one floor under the features: it imports none of them."""
