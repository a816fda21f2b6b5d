"""Instruments that report their own use: agents on instrument PCs, their tokens and heartbeats,
the sessions they start and end, and the unbooked use they find."""
