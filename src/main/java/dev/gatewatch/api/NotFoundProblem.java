package dev.gatewatch.api;

/** A resource that does not exist, or belongs to another owner: both look the same from outside. */
public class NotFoundProblem extends RuntimeException {

    public NotFoundProblem(String what) {
        super(what + " not found");
    }
}
