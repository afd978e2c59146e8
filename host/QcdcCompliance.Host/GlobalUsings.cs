// What most of the host's folders use, said once: the domain and its storage (Api, Cli, Security, Dashboard), the
// principal of a request and the typed results of the endpoints (Api), the command line (Cli).
global using System.CommandLine;
global using Microsoft.AspNetCore.Http.HttpResults;
global using Microsoft.EntityFrameworkCore;
global using QcdcCompliance.Domain;
global using QcdcCompliance.Host.Security;
global using QcdcCompliance.Storage;
