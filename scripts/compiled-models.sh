#!/usr/bin/env bash
# Regenerates the compiled EF models (engine/QcdcCompliance.Engine/Storage/CompiledModels/{Sqlite,SqlServer,Postgres})
# from QcdcDbContext's mapping, one per provider. Run it after any change to the model (with the migrations-add loop);
# CompiledModelTests fails until it is run. The contexts are given their model by StorageRegistration.UseQcdcStorage,
# so the assembly attribute each generation writes is removed (three of them would name the same context).
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null
dotnet build host/QcdcCompliance.Host -c Release 2>&1 | grep -E " error |Build succeeded" | head -20
for p in Sqlite SqlServer Postgres; do
  folder=engine/QcdcCompliance.Engine/Storage/CompiledModels/$p
  rm -rf "$folder"
  dotnet ef dbcontext optimize --no-build --configuration Release --project engine/QcdcCompliance.Engine \
    --startup-project host/QcdcCompliance.Host --output-dir "Storage/CompiledModels/$p" \
    --namespace "QcdcCompliance.Storage.CompiledModels.$p" -- --provider "$p" >/dev/null
  rm "$folder/QcdcDbContextAssemblyAttributes.cs"
  echo "$folder: $(ls "$folder" | wc -l) files"
done
