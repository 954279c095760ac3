package io.mailgate.testing;

/**
 * Runs a benchmark program that starts the application in its own JVM, then ends that JVM. Camel's main run
 * controller (camel.springboot.main-run-controller) leaves a non-daemon thread that closing the Spring context does
 * not end, so such a program printed its figures and then never ended.
 */
public final class BenchmarkExit {

    /** The program's work. */
    @FunctionalInterface
    public interface Program {
        void run() throws Exception;
    }

    private BenchmarkExit() {}

    /** Runs the program and exits: 0 when it returned, 1 (after printing the failure) when it threw. */
    public static void runThenExit(Program program) {
        try {
            program.run();
        } catch (Exception | Error e) {
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }
}
