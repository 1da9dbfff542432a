package io.switchboard.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** Scenario is one kind of load: it drives a system under test and measures it. */
public interface Scenario {

  /** The scenario's name on the command line and in results. */
  String name();

  Future<Result> run(Vertx vertx, Args args);
}
