#!/usr/bin/env bash
# Compiles dfl.models.mnist (it depends on DJL, picocli and dfl.plan.Schedule only) into training/build/classes with javac,
# so the training run uses a frozen snapshot of the classes and does not depend on the rest of the module compiling.
# Maven only resolves the dependencies' jars. Writes the runtime classpath to training/build/classpath.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p training/build
# the jars models needs, as Maven resolves them from the pom (no versions written here); test scope for the logging
# binding (slf4j-simple), which the library itself leaves to applications
deps=(-B -q dependency:build-classpath -pl models -am -DincludeScope=test -DexcludeGroupIds=dev.dfl
      -Dmdep.outputFile="$PWD/training/build/deps.classpath")
mvn -o "${deps[@]}" > training/build/deps.log 2>&1 || mvn "${deps[@]}" > training/build/deps.log 2>&1 \
    || { cat training/build/deps.log; exit 1; }
CP=$(cat training/build/deps.classpath)
rm -rf training/build/classes && mkdir -p training/build/classes
javac --release 17 -Xlint:all,-serial,-processing -cp "$CP" -d training/build/classes models/src/main/java/dfl/models/mnist/*.java plan/src/main/java/dfl/plan/Schedule.java
echo "training/build/classes:$CP" > training/build/classpath
