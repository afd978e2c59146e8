Console.WriteLine("benchmarks: see issue 7");
