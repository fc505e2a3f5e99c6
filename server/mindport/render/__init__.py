"""Human-readable views of knowledge entries (hover cards, ``mindport explain``)."""
