"""zonestudy: China's development zones (开发区) as a citable dataset and a small research library."""

__version__ = "0.1.0"
