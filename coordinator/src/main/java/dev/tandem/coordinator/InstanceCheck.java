package dev.tandem.coordinator;

/** Whether contract and rollback look for live application instances of the version they remove. */
public enum InstanceCheck {
    /** Refuse to start while an instance of the removed version sent a heartbeat within the instance TTL. */
    ENFORCE,
    /**
     * Start anyway (the instances' hosts are gone, say, and their rows not yet expired); the phase history records
     * that it was forced and past which instances.
     */
    FORCE
}
