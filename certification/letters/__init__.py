"""Letters to applicants: what they say, how they are rendered, their life from asked for to ready."""
