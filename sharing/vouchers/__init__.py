"""Innovation vouchers (科技创新券): the city pays back part of small firms' test fees."""
