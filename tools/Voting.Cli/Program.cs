// Commands anyone holding an export can run; it needs nothing but the file (no server, no database).
//   dotnet run --project tools/Voting.Cli -- verify FILE [--digest HEX]
return Voting.Cli.VerifyCommand.Run(args, Console.Out, Console.Error);
