//! One file holding every local document, and reading it back. (To be written.)
