"""Funding accounts (课题/经费卡): who pays for a booking or an order, approved by its holder."""
