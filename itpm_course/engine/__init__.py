"""Pure computations on plans and course data: numpy/pandas in, plain results out."""
