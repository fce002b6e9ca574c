System.Console.WriteLine("load test: not yet");
