"""Organisations: institutes, universities, companies and the platform operator."""
