"""One loader per publisher format family. Each returns validated tidy tables."""
