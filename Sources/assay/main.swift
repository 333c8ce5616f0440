import AssayCore
print("assay")
