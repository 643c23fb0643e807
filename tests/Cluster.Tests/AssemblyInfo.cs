// The system tests start silo processes on a shared machine; one at a time keeps their timing honest.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
