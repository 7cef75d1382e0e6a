//! The interface language chosen on this browser. (To be written.)
