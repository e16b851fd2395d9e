// Jobs boot real QEMU machines; on two cores they run one after the other.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
