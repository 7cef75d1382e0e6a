//! Backup of every local document to one file, and merging one back in.
//! (To be written.)
