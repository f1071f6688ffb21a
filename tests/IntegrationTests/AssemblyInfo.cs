// Each test class shares one running application (or starts its own AppHost process); running them side by side
// on a two-core machine would only make both slower and their timings meaningless.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
