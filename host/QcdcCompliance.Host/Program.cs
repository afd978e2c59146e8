using QcdcCompliance.Host.Cli;

// `qcdc <verb>`: the command line and, with `serve`, the web host. See README.md.
return await QcdcCli.RunAsync(args);
