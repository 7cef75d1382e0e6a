//! This device: persistent storage, used and available space, the service
//! worker and its updates, saving and opening files. (To be written.)
