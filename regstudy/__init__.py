"""RegStudy (规章学习助手): article-addressed Q&A over Chinese party regulations."""

__version__ = "0.1.0"
