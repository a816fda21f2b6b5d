"""Ship time shared by cruise (共享航次): vessels, cruises, applications to join, shares, duties."""
