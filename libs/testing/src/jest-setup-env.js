// Quiet request logs in tests unless asked for (LOG_LEVEL=debug npx jest …).
process.env.LOG_LEVEL = process.env.LOG_LEVEL || 'silent';
