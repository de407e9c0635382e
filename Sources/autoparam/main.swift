print("autoparam")
