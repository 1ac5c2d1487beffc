// Askel.Bench.Simulate: askel simulate's step function in memory, in parallel and on one thread, and the simulation
// page's whole answer, each against the target of 1,000 participants × 14 months in 10 s.
return Askel.Bench.SimulateBench.Run(args);
