//! Sentences about a run's facts: why a process cannot move, who waits for
//! whom in a deadlock, what the verdict says.
