// Placeholder replaced by issue 4 (the server build).
console.log('sinkhole-server: nothing to build yet');
