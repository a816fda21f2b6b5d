"""Sample testing orders (送样检测): customers send samples, the owning lab measures them."""
