#!/usr/bin/env bash
# Extract messages, merge them into the Chinese catalog and compile it.
# Usage: scripts/i18n.sh   (then translate the new empty msgstr entries and run it again)
set -euo pipefail
cd "$(dirname "$0")/.."
PYBABEL=${PYBABEL:-.venv/bin/pybabel}
$PYBABEL extract -F babel.cfg -k _l -k lazy_gettext -k BadRequest -k Unauthorized -k Forbidden -k NotFound -k Conflict -k RuleViolation -k CampusSignInRefused -k readable -o sharing/translations/messages.pot --no-location --sort-output .
$PYBABEL update -i sharing/translations/messages.pot -d sharing/translations -l zh --no-fuzzy-matching --ignore-pot-creation-date
$PYBABEL compile -d sharing/translations -l zh --statistics
